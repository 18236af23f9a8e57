"""A page's Markdown -> HTML: the dialect a site writes, rewrites of the source before
parsing, attribute syntax, the HTML with every link made right, and its search words."""
