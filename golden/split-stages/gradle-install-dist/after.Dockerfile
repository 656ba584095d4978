FROM eclipse-temurin:17-jdk AS builder
RUN apt-get update && apt-get install -y --no-install-recommends net-tools && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY build.gradle settings.gradle gradlew ./
COPY gradle gradle
RUN ./gradlew downloadRepos
COPY . .
RUN ./gradlew installDist

FROM eclipse-temurin:17-jdk
RUN apt-get update && apt-get install -y --no-install-recommends net-tools && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /app/build/install/adservice ./build/install/adservice
EXPOSE 9555
ENTRYPOINT ["/app/build/install/adservice/bin/AdService"]
