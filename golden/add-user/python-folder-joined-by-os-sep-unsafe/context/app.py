import os

LOGS = os.sep.join(["", "var", "log", "app"])
os.makedirs(LOGS, exist_ok=True)
with open(os.path.join(LOGS, "app.log"), "a") as f:
    f.write("start\n")
print("started")
