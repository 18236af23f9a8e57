"""``python -m commonsgen``."""

from commonsgen.cli import main

raise SystemExit(main())
