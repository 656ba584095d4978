FROM r-base:4.3.1
WORKDIR /app
COPY . .
CMD ["Rscript", "app.R"]
