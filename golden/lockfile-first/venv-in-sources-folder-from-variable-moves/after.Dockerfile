FROM python:3.11
WORKDIR /app
COPY requirements.txt ./
ENV VIRTUAL_ENV=/app/venv
RUN python -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
