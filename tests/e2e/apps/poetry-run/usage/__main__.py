import sys

import humanize

# Bytes stored and objects held per bucket: fixed, so every image prints the same lines.
BUCKETS = [("backups", 7_340_032_000, 1_204), ("logs", 52_428_800, 98_311), ("media", 913_244_160, 25_067)]

for name, stored, objects in BUCKETS:
    print(f"{name:<8} {humanize.naturalsize(stored, binary=True):>10}  {humanize.intcomma(objects)} objects")
stored_total = sum(stored for _, stored, _ in BUCKETS)
print(f"total: {humanize.naturalsize(stored_total)} ({humanize.intword(stored_total)} bytes)")
# `poetry run` uses the virtualenv `poetry install` made in Poetry's cache folder. An image without it does not get
# here: Poetry makes a new, empty one and the import above fails.
print("in a virtualenv:", sys.prefix != sys.base_prefix)
