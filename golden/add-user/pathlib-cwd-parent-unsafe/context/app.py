from pathlib import Path
d = Path.cwd().parent / 'logs'
d.mkdir(exist_ok=True)
(d / 'a.log').write_text('x')
print('started')
