"""What lets a build redo only what changed: stamps of inputs, the build cache kept between
runs, and the dev server's memos."""
