FROM python:3.12-slim AS build
WORKDIR /src
COPY requirements/production.txt ./requirements/
RUN pip wheel --wheel-dir /wheels -r requirements/production.txt
COPY . .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels /wheels/*
COPY app.py .
CMD ["python", "app.py"]
