"""``python -m lstm_tutorial study TICKER_OR_CSV``: see `lstm_tutorial.cli`."""

from lstm_tutorial.cli import main

raise SystemExit(main())
