from pathlib import Path
p = Path("/var/lib/myapp/out.txt")
p.write_text("hello from data\n")
print(p.read_text(), end="")
