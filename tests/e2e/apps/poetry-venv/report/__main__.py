import sys

from tabulate import tabulate

# Units shipped per region and quarter: fixed, so the output is the same in every image.
SHIPPED = {
    "north": (120, 135, 150, 171),
    "south": (98, 91, 104, 117),
    "west": (64, 80, 77, 95),
}

rows = [(region, *quarters, sum(quarters)) for region, quarters in sorted(SHIPPED.items())]
totals = [sum(column) for column in zip(*(row[1:] for row in rows), strict=True)]
rows.append(("all", *totals))
print(tabulate(rows, headers=("region", "Q1", "Q2", "Q3", "Q4", "year"), tablefmt="github"))
# The interpreter running the report: Poetry's own virtual environment, wherever the image keeps it.
print("in a virtual environment:", sys.prefix != sys.base_prefix)
