import csv
INPUT = "/srv/data/in.csv"
with open(INPUT) as f:
    rows = list(csv.reader(f))
with open("report.txt", "w") as out:
    out.write(str(len(rows)))
