var app = WebApplication.Create(args);
app.MapGet("/", () => "hello");
app.Run();
