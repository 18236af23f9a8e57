"""What a build publishes besides Markdown: the views templates see, credits and licence
metadata, citations, feeds and sitemaps, and the search index."""
