"""Reading content files: discovery, frontmatter, page fields."""
