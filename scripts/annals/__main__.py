from annals.cli import main

raise SystemExit(main())
