using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScenarioKit.Storage;
using ScenarioKit.Server.Tests.Endpoints;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Issues;

/// <summary>
/// Issue 10 item 10: with an app id and the OpenID metadata unreachable, a 401 carried the whole exception
/// chain and stack of the metadata fetch. Every error body (4xx, 5xx, every endpoint) is a short reason;
/// the detail goes to the log.
/// </summary>
public sealed class Issue10_ErrorBodyTests
{
    const string AppId = AuthenticationTests.AppId;
    const string Secret = "issue10-direct-line-secret-0123456789";

    static string Activity(string serviceUrl) => AuthenticationTests.Message(serviceUrl, "issue10");

    [Fact]
    public async Task Unreachable_openid_metadata_is_a_short_401_and_the_detail_is_logged()
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        var log = new CapturedLog();
        await using var server = await TestServer.StartAsync(
            configure: o =>
            {
                o.AppId = AppId;
                o.OpenIdMetadataUrl = $"http://127.0.0.1:{ClosedPort()}/v1/.well-known/openidconfiguration";
                o.RequireHttpsMetadata = false;
            },
            services: s => s.AddSingleton<ILoggerProvider>(log));

        using var response = await server.PostJsonAsync("/api/messages", Activity("http://127.0.0.1:9/"), "Bearer " + idp.CreateToken(AppId, "http://127.0.0.1:9/"));
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertNoInternals("POST /api/messages (metadata unreachable)", response, body);
        Assert.Equal("The channel's signing keys are unavailable; the token cannot be checked now.",
            JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Exception is not null);
    }

    [Fact]
    public async Task Every_error_an_authenticated_server_sends_is_free_of_exception_text()
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var server = await TestServer.StartAsync(configure: o =>
        {
            o.AppId = AppId;
            o.OpenIdMetadataUrl = $"http://127.0.0.1:{ClosedPort()}/v1/.well-known/openidconfiguration";
            o.RequireHttpsMetadata = false;
            o.DirectLineSecret = Secret;
            o.MaxRequestBodyBytes = 4096;
        });
        var token = "Bearer " + idp.CreateToken(AppId, "http://127.0.0.1:9/");
        var bearer = "Bearer " + Secret;

        var errors = await SweepAsync(server, [
            (HttpMethod.Post, "/api/messages", Activity("http://127.0.0.1:9/"), null, "application/json"),
            (HttpMethod.Post, "/api/messages", Activity("http://127.0.0.1:9/"), "Bearer not-a-jwt", "application/json"),
            (HttpMethod.Post, "/api/messages", Activity("http://127.0.0.1:9/"), token, "application/json"),
            (HttpMethod.Post, "/api/messages", Activity("http://127.0.0.1:9/"), "Basic abc", "application/json"),
            (HttpMethod.Get, "/api/messages", null, token, null),
            (HttpMethod.Post, "/api/messages", "{", token, "application/json"),
            (HttpMethod.Post, "/api/messages", "[1]", token, "application/json"),
            (HttpMethod.Post, "/api/messages", """{"type":5}""", token, "application/json"),
            (HttpMethod.Post, "/api/messages", "hello", token, "text/plain"),
            (HttpMethod.Post, "/api/messages", new string('x', 10_000), token, "application/json"),
            (HttpMethod.Post, "/api/nope/messages", Activity("http://127.0.0.1:9/"), token, "application/json"),
            (HttpMethod.Post, "/v3/directline/conversations", null, null, null),
            (HttpMethod.Post, "/v3/directline/conversations", null, "Bearer undefined", null),
            (HttpMethod.Post, "/v3/directline/conversations", null, "Basic x", null),
            (HttpMethod.Post, "/v3/directline/tokens/generate", "{", bearer, "application/json"),
            (HttpMethod.Post, "/v3/directline/tokens/generate", """{"user":5}""", bearer, "application/json"),
            (HttpMethod.Post, "/v3/directline/tokens/generate?scenario=nope", null, bearer, null),
            (HttpMethod.Post, "/v3/directline/tokens/refresh", null, bearer, null),
            (HttpMethod.Get, "/v3/directline/conversations/nope", null, bearer, null),
            (HttpMethod.Get, "/v3/directline/conversations/nope/activities?watermark=abc", null, bearer, null),
            (HttpMethod.Post, "/v3/directline/conversations/nope/activities", """{"type":"message","from":{"id":"u"},"text":"x"}""", bearer, "application/json"),
            (HttpMethod.Post, "/v3/directline/conversations/nope/activities", """{"type":"message"}""", bearer, "application/json"),
            (HttpMethod.Post, "/v3/directline/conversations/nope/upload", "x", bearer, "text/plain"),
            (HttpMethod.Get, "/v3/directline/conversations/nope/stream?t=bad", null, null, null),
            (HttpMethod.Get, "/v3/directline/session/getsessionid", null, bearer, null),
            (HttpMethod.Get, "/nope", null, null, null),
            (HttpMethod.Delete, "/", null, null, null),
            (HttpMethod.Get, "/playground/token", null, null, null),
        ]);

        Assert.True(errors >= 20, $"only {errors} requests were refused; the sweep no longer reaches the error paths");
    }

    [Fact]
    public async Task Server_faults_in_the_Development_environment_are_short_500s_on_every_endpoint()
    {
        // A store that fails every call: each endpoint that reaches it meets an unexpected exception, and
        // ASP.NET Core's Development exception page would print its stack.
        var log = new CapturedLog();
        await using var server = await TestServer.StartAsync(
            services: s =>
            {
                s.AddSingleton(FailingStore.Create());
                s.AddSingleton<ILoggerProvider>(log);
            },
            args: ["--environment", "Development"]);

        var errors = await SweepAsync(server, [
            (HttpMethod.Post, "/api/messages", Activity("http://127.0.0.1:9/"), null, "application/json"),
            (HttpMethod.Post, "/api/reference/messages", Activity("http://127.0.0.1:9/"), null, "application/json"),
            (HttpMethod.Post, "/v3/directline/conversations", null, null, null),
            (HttpMethod.Get, "/v3/directline/conversations/x/activities", null, null, null),
            (HttpMethod.Post, "/v3/directline/conversations/x/activities", """{"type":"message","from":{"id":"u"},"text":"注文はどこ？"}""", null, "application/json"),
            (HttpMethod.Get, "/readyz", null, null, null),
        ]);

        Assert.True(errors >= 5, $"only {errors} requests failed; the failing store is no longer reached");
        Assert.Contains(log.Entries, e => e.Level >= LogLevel.Error && e.Exception is FailingStoreException);
    }

    /// <summary>Sends each request; every 4xx/5xx body must be free of exception text. Returns how many were errors.</summary>
    static async Task<int> SweepAsync(TestServer server, IEnumerable<(HttpMethod Method, string Path, string? Body, string? Authorization, string? ContentType)> requests)
    {
        var errors = 0;
        foreach (var (method, path, body, authorization, contentType) in requests)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType!);
            }
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if ((int)response.StatusCode < 400) continue;
            errors++;
            AssertNoInternals($"{method} {path}", response, text);
        }
        return errors;
    }

    static readonly string[] Internals = ["   at ", "Exception", "System.", "Microsoft.", "IDX", "ScenarioKit.", "--->", "127.0.0.1:", "stack"];

    static void AssertNoInternals(string request, HttpResponseMessage response, string body)
    {
        foreach (var marker in Internals)
            Assert.False(body.Contains(marker, StringComparison.OrdinalIgnoreCase),
                $"{request} → {(int)response.StatusCode} carries '{marker}':\n{body}");
        Assert.True(body.Length < 400, $"{request} → {(int)response.StatusCode} body is {body.Length} characters:\n{body}");
    }

    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    sealed class FailingStoreException() : Exception("the conversation store failed (test)");

    /// <summary>An <see cref="IConversationStore"/> whose every call throws.</summary>
    internal class FailingStore : DispatchProxy
    {
        public static IConversationStore Create() => DispatchProxy.Create<IConversationStore, FailingStore>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new FailingStoreException();
    }

    internal sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        sealed class Logger(CapturedLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Entries.Enqueue((logLevel, formatter(state, exception), exception));
        }
    }
}
