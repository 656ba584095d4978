FROM maven:3-jdk17
WORKDIR /src
COPY . .
RUN mvn -B package dependency:build-classpath -Dmdep.outputFile=classpath.txt
CMD ["sh", "-c", "java -cp target/app.jar:$(cat classpath.txt) com.example.App"]
