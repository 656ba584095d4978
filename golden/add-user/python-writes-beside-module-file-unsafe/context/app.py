import six
from pathlib import Path
f = Path(six.__file__).parent / 'six_state.json'
f.write_text('{}')
print('started', f)
