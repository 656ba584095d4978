from pathlib import Path
f = Path().resolve().parent / 'state.json'
f.write_text('{}')
print('started', f)
