import sys

from reviewer_app.cli import main

sys.exit(main())
