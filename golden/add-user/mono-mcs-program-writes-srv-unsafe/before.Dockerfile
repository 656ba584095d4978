FROM mono:6
WORKDIR /app
COPY . .
RUN mcs -out:app.exe Program.cs
CMD ["mono", "app.exe"]
