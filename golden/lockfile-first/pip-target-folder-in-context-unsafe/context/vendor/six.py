# a stale copy
