"""Column names shared by every stage, defined once (use as ``from dateline import columns as C``)."""

# documents.parquet (stage 01)
DOC_ID = "doc_id"
TITLE = "title"
PUBLISHED = "published"  # datetime.date or missing
PUBLISHED_FROM = "published_from"  # where the date came from: metadata | dateline | missing
DATELINE = "dateline"  # the dateline as written, e.g. "TIKRIT, Iraq - "
DATELINE_PLACE = "dateline_place"  # e.g. "Tikrit, Iraq"
TEXT = "text"  # the cleaned body
SOURCE = "source"
URL = "url"
FILE = "file"  # raw file, relative to the corpus folder
BODY_OFFSET = "body_offset"  # where the body starts in the decoded raw file (0 for a .csv/.jsonl text field)
RAW_START = "raw_start"  # offsets.parquet: where a span of the cleaned text comes from in the raw text
RAW_END = "raw_end"
LINE = "line"  # 1-based line of the article in its raw file
ENCODING = "encoding"
N_WORDS = "n_words"
ENGLISH_SHARE = "english_share"  # share of the text's characters in English (foreign runs are not parsed)
REPEATS_REMOVED = "repeats_removed"
BOILERPLATE = "boilerplate"  # list of removed boilerplate lines
COPIES = "copies"  # number of syndicated copies merged into this row (itself excluded)
MERGED_IDS = "merged_ids"  # doc_ids of those copies
SOURCES = "sources"  # sources of this row and its copies

# rejected.csv (stage 01)
REASON = "reason"

# sentences.parquet, mentions.parquet, entities.parquet, cooccurrence.parquet (stage 02)
SENT_ID = "sent_id"
HEADLINE_SENT_ID = -1  # the sent_id of events found in a document's headline (their offsets are into the title)
START = "start"
END = "end"
LABEL = "label"
ENTITY_ID = "entity_id"
RESOLVED_BY = "resolved_by"  # mentions.parquet: the rules that gave a mention its entity's name ("" if its own)
MERGED = "merged"  # entities.parquet: each name merged into the entity, with the rule ("Apple Computer: company form")
NAME = "name"
ALIASES = "aliases"
N_MENTIONS = "n_mentions"
N_DOCS = "n_docs"
FIRST_PUBLISHED = "first_published"
LAST_PUBLISHED = "last_published"
LINKED_ENTITY_ID = "linked_entity_id"  # a demonym's country, e.g. "Iraqi" -> Iraq
ENTITY_A = "entity_a"
ENTITY_B = "entity_b"
COUNT = "count"
DOC_IDS = "doc_ids"

# timexes.parquet (stage 03)
TYPE = "type"
VALUE = "value"
MOD = "mod"
TIMEX_ID = "timex_id"

# events.parquet, timeline.csv (stage 03)
EVENT_ID = "event_id"
START_DATE = "start_date"
END_DATE = "end_date"
GRANULARITY = "granularity"
TRIGGER = "trigger"
TRIGGER_TEXT = "trigger_text"  # the trigger as written
DESCRIPTION = "description"  # the event in a few words: who, the trigger as written, what or where
TRIGGER_START = "trigger_start"  # its offsets in the cleaned text
TRIGGER_END = "trigger_end"
EVENT_CLASS = "class"
ACTORS = "actors"
ACTOR_NAMES = "actor_names"  # their canonical names
AGENT = "agent"  # the doer as written ("a senior coalition official"), or the phrase a bare "the coalition" repeats
PLACES = "places"
PLACE_NAMES = "place_names"  # their names, or the dateline's place when the clause names none
TIMEX_TEXT = "timex_text"  # the time expression that dates the event, as written
PARTICIPANTS = "participants"  # every entity taking part in an event (entity ids), with its role in ROLES
ROLES = "roles"  # agent, patient, or the preposition that links it ("on", "to"); one per participant
CONFIDENCE = "confidence"
N_SOURCES = "n_sources"
ANCHOR = "anchor"  # what dates the event: timex, narrative, publication (by tense) or none

# key_dates.csv (stage 03)
DATE = "date"  # an ISO day, or the TIMEX3 value of a coarser date ("2014-08", "2014-SU")
HEADLINE = "headline"  # what happened that day, in one line
EVENT_IDS = "event_ids"
SCORE = "score"  # the evidence for the date (``dateline.steps.keydates``)
