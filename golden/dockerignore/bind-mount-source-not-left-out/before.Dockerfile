FROM python:3.11
WORKDIR /app
COPY requirements.txt app.py ./
RUN pip install -r requirements.txt
RUN --mount=type=bind,source=.git,target=/tmp/git cut -c1-12 /tmp/git/refs/heads/main > /app/REVISION
CMD ["python", "app.py"]
