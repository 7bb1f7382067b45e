import pytest

from dateline.steps import language


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


@pytest.mark.parametrize("text", [
    "Le conseil municipal s'est réuni mardi pour approuver un nouveau budget, a annoncé le maire de la ville.",
    "Il presidente ha incontrato ieri i sindacati per discutere la riforma delle pensioni in Parlamento.",
    "De gemeenteraad heeft dinsdag een nieuwe begroting goedgekeurd, zo meldde de burgemeester.",
    "Rada miasta zatwierdziła we wtorek nowy budżet, poinformował burmistrz po posiedzeniu.",
])
def test_latin_script_paragraphs_in_other_languages_are_foreign(text):
    assert not language.is_english(text)


def test_a_french_article_is_not_english():
    article = ("Le gouvernement a présenté mercredi son projet de loi sur le logement, qui prévoit la construction "
               "de 500 000 logements.\n\nLes syndicats ont dénoncé un texte insuffisant et appellent à une "
               "manifestation le 12 mars à Paris.\n\nLe ministre a défendu une réforme « ambitieuse » devant "
               "l'Assemblée nationale.")
    assert language.english_share(article) < 0.1


@pytest.mark.parametrize("text", [
    "Obama, Merkel, Sarkozy, Putin, Hu Jintao, Singh, Lula and Zuma met in Pittsburgh.",
    "Apple Inc. (AAPL), Microsoft Corp. (MSFT), Alphabet Inc. (GOOG) and Amazon.com Inc. (AMZN) fell.",
    "Results: Nadal bt Federer 6-4 6-3; Djokovic bt Murray 7-6 6-2; Wawrinka bt Berdych 6-1 6-4.",
])
def test_lists_of_names_and_results_stay_english(text):
    assert language.is_english(text)
