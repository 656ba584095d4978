FROM python:3.11
WORKDIR /app
COPY . .
ENV VIRTUAL_ENV=/app/venv
RUN python -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
