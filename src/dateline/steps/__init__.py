"""The pipeline's steps: pure functions over texts, frames and spaCy Docs, knowing nothing of files or executors.

clean, dedup, language, offsets (stage 01); entities, corpus_names (stage 02); events, coreference, anchoring,
narrative, timeline, keydates, explore (stage 03). The stage runners (``dateline.stages``) call them.
"""
