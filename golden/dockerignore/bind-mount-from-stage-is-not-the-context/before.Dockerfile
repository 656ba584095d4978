FROM python:3.11 AS settings
RUN mkdir /out && echo API_URL=x > /out/.env

FROM python:3.11
WORKDIR /app
COPY requirements.txt app.py ./
RUN --mount=type=bind,from=settings,source=/out/.env,target=/tmp/.env cp /tmp/.env /app/settings.env
CMD ["python", "app.py"]
