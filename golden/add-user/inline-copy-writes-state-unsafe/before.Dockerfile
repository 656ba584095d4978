FROM python:3.11
WORKDIR /app
COPY . .
RUN python3 -c 'import shutil; shutil.copy("seed.txt", "state.txt")'
CMD ["python3", "app.py"]
