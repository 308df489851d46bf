"""python -m hallway.bench"""

import sys

from hallway.bench.run import main

if __name__ == "__main__":
    sys.exit(main())
