import pytest

from dateline import language


@pytest.mark.parametrize("text, english", [
    ("The coalition said on Tuesday that it had begun surveillance flights.", True),
    ("Egypt's current President Abdel Fattah al-Sisi announced three days of national mourning.", True),
    ("Ok.", True),
    ("Manchester United 2, Chelsea 1; Arsenal 3, Everton 0; Liverpool 1, Leeds United 1", True),
    ("El gobierno de España anunció que la economía crecerá este año más de lo previsto.", False),
    ("Der Bundestag hat am Dienstag das Gesetz beschlossen und die Regierung gestärkt.", False),
    ("यह एक हिंदी वाक्य है जो परीक्षण के लिए है।", False),
])
def test_is_english(text, english):
    assert language.is_english(text) is english


def test_foreign_runs_inside_an_english_paragraph():
    text = "(WN) What is your age? Hindi: आपकी उमर क्या है?\n\nAll English here, as it should be."
    (start, end), = language.foreign_spans(text)
    assert text[start:end] == "आपकी उमर क्या है"
    assert 0.5 < language.english_share(text) < 1
