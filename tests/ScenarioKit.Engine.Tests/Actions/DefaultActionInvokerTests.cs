using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Actions;

public sealed class DefaultActionInvokerTests
{
    sealed class FakeHandler(Func<HttpRequestMessage, int, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request, body));
            return await respond(request, Requests.Count);
        }
    }

    static HttpResponseMessage Json(string json, HttpStatusCode code = HttpStatusCode.OK) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    static ValueTask<ActionOutcome> Invoke(FakeHandler handler, ActionDef action, params (string, JsonNode?)[] args) =>
        new DefaultActionInvoker(new HttpClient(handler), TimeProvider.System)
            .InvokeAsync(action, args.ToDictionary(a => a.Item1, a => a.Item2), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Templated_url_headers_and_body_and_result_path()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(Json("""{ "order": { "status": "発送済み", "items": [1, 2] } }""")));
        var action = Http("lookup", "https://shop.example/api/orders/${number}", result: "order.status", method: HttpMethodKind.Post,
            body: """{"n":"${number}"}""", headers: ("X-Customer", "${segment}"));
        var outcome = await Invoke(handler, action, ("number", "12345678"), ("segment", "vip"));
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("発送済み", (string?)outcome.Value);
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("https://shop.example/api/orders/12345678", request.RequestUri!.ToString());
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("vip", request.Headers.GetValues("X-Customer").Single());
        Assert.Equal("""{"n":"12345678"}""", body);
    }

    [Fact]
    public async Task Transient_failures_are_retried_a_bounded_number_of_times()
    {
        var handler = new FakeHandler((_, n) => Task.FromResult(n < 3 ? Json("{}", HttpStatusCode.ServiceUnavailable) : Json("""{"ok":true}""")));
        var outcome = await Invoke(handler, Http("a", "https://x.example/", retries: 2));
        Assert.True(outcome.Succeeded);
        Assert.Equal(3, handler.Requests.Count);

        var always = new FakeHandler((_, _) => Task.FromResult(Json("{}", HttpStatusCode.BadGateway)));
        var failed = await Invoke(always, Http("a", "https://x.example/", retries: 1));
        Assert.False(failed.Succeeded);
        Assert.Equal(2, always.Requests.Count);
        Assert.Contains("502", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(Json("{}", HttpStatusCode.NotFound)));
        var outcome = await Invoke(handler, Http("a", "https://x.example/", retries: 3));
        Assert.False(outcome.Succeeded);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Timeout_is_a_failure()
    {
        var client = new HttpClient(new DelayHandler());
        var outcome = await new DefaultActionInvoker(client, TimeProvider.System)
            .InvokeAsync(Http("slow", "https://x.example/", timeoutMs: 50), new Dictionary<string, JsonNode?>(), TestContext.Current.CancellationToken);
        Assert.False(outcome.Succeeded);
        Assert.Contains("timed out", outcome.Error, StringComparison.Ordinal);
    }

    sealed class DelayHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return Json("{}");
        }
    }

    [Fact]
    public async Task Non_http_url_is_refused()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(Json("{}")));
        var outcome = await Invoke(handler, Http("a", "file:///etc/${name}"), ("name", "passwd"));
        Assert.False(outcome.Succeeded);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Plain_text_response_without_result_path_is_a_string()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("shipped") }));
        var outcome = await Invoke(handler, Http("a", "https://x.example/"));
        Assert.Equal("shipped", (string?)outcome.Value);
    }
}
