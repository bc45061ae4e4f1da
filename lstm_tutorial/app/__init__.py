"""The app layer: the book's honest pipeline on any price table, and its command line."""
