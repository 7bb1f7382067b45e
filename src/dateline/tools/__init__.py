"""Tooling around the product: the command line (cli), benchmarks (bench), the Reuters converter (reuters) and the
evaluations (evaluation, semeval, meantime). Each reaches the pipeline through the stage runners `make report` runs.
"""
