"""``python -m lstm_tutorial study TICKER_OR_CSV``: see `lstm_tutorial.app.cli`."""

from lstm_tutorial.app.cli import main

raise SystemExit(main())
