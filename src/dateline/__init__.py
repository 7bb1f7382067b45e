"""dateline: turn news articles into a timeline of who did what, where and when."""

__version__ = "0.1.0"
