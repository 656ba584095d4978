FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python -c "from pathlib import Path; Path('data').mkdir(); Path('data/visits.txt').write_text('0')"
CMD ["python", "app.py"]
