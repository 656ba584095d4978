FROM python:3.12-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --wheel-dir /wheels -r requirements/production.txt

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels /wheels/*
COPY app.py .
CMD ["python", "app.py"]
