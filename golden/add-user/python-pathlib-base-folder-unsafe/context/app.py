from pathlib import Path
BASE = Path("/srv")
(BASE / "cache").mkdir(exist_ok=True)
