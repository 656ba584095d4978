FROM \
    node:18-slim \
    AS base
