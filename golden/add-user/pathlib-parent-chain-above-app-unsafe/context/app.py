from pathlib import Path
d = Path(__file__).resolve().parent.parent / 'data'
d.mkdir(exist_ok=True)
(d / 'x').write_text('1')
print('started')
