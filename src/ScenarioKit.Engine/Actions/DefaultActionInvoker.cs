using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Actions;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>
/// Runs actions for real: <c>http</c> through <see cref="HttpClient"/> (per-attempt timeout,
/// bounded retries on network errors, timeouts, 408/429/5xx; the JSON result path picks the value),
/// and <c>script</c> in the Jint sandbox with the package's limits. Thread-safe. The clock is what
/// <c>Date.now()</c> reads inside scripts; HTTP timeouts and retry backoff use real time.
/// </summary>
public sealed class DefaultActionInvoker(HttpClient httpClient, TimeProvider clock) : IActionInvoker
{
    /// <summary>Largest HTTP response body read.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    readonly TimeProvider _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    public async ValueTask<ActionOutcome> InvokeAsync(ActionDef action, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(arguments);
        var compiled = CompiledAction.For(action);
        if (action.Script is not null)
            return compiled.RunScript(arguments, _clock.GetUtcNow(), ct);
        if (action.Http is { } http)
            return await InvokeHttpAsync(compiled, http, arguments, ct).ConfigureAwait(false);
        return ActionOutcome.Failure($"action '{action.Name}' has neither http nor script");
    }

    async Task<ActionOutcome> InvokeHttpAsync(CompiledAction compiled, HttpAction http, IReadOnlyDictionary<string, JsonNode?> arguments, CancellationToken ct)
    {
        var scope = CompiledAction.ArgumentScope(arguments, _clock.GetUtcNow(), ct);
        var options = compiled.Options;
        if (!compiled.Url!.TryRender(scope, options, out var url, out var error))
            return ActionOutcome.Failure($"action '{compiled.Def.Name}': {error}");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return ActionOutcome.Failure($"action '{compiled.Def.Name}': '{url}' is not an http(s) URL");
        var headers = new List<(string, string)>();
        foreach (var (name, template) in compiled.Headers)
        {
            if (!template.TryRender(scope, options, out var value, out error))
                return ActionOutcome.Failure($"action '{compiled.Def.Name}': {error}");
            headers.Add((name, value));
        }
        string? body = null;
        if (compiled.Body is not null && !compiled.Body.TryRender(scope, options, out body, out error))
            return ActionOutcome.Failure($"action '{compiled.Def.Name}': {error}");

        var attempts = Math.Clamp(http.Retries, 0, 5) + 1;
        var timeout = TimeSpan.FromMilliseconds(http.TimeoutMs <= 0 ? 5000 : Math.Min(http.TimeoutMs, 60_000));
        string failure = "";
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeoutSource.CancelAfter(timeout);
            try
            {
                using var request = new HttpRequestMessage(ToMethod(http.Method), uri);
                foreach (var (name, value) in headers)
                    if (!request.Headers.TryAddWithoutValidation(name, value) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                        return ActionOutcome.Failure($"action '{compiled.Def.Name}': header '{name}' is not allowed");
                if (body is not null)
                {
                    var contentType = headers.FirstOrDefault(h => h.Item1.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Item2 ?? "application/json";
                    request.Content = new StringContent(body, Encoding.UTF8);
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
                using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    failure = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                    if (IsTransient(response.StatusCode) && attempt < attempts) { await BackoffAsync(attempt, ct).ConfigureAwait(false); continue; }
                    return ActionOutcome.Failure($"action '{compiled.Def.Name}': {failure}");
                }
                var bytes = await ReadLimitedAsync(response.Content, timeoutSource.Token).ConfigureAwait(false);
                if (bytes is null) return ActionOutcome.Failure($"action '{compiled.Def.Name}': response larger than {MaxResponseBytes} bytes");
                return Extract(compiled.Def.Name, bytes, http.Result);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"timed out after {timeout.TotalMilliseconds:0} ms";
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            if (attempt < attempts) await BackoffAsync(attempt, ct).ConfigureAwait(false);
        }
        return ActionOutcome.Failure($"action '{compiled.Def.Name}': {failure} (after {attempts} attempt{(attempts == 1 ? "" : "s")})");
    }

    // Network waits (timeouts, backoff) run on real time like the network itself; the injected clock is
    // what scripts read. Pacing retries on a test's fake clock would wait forever.
    static Task BackoffAsync(int attempt, CancellationToken ct) => Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);

    static bool IsTransient(HttpStatusCode code) => code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)code >= 500;

    static HttpMethod ToMethod(HttpMethodKind kind) => kind switch
    {
        HttpMethodKind.Post => HttpMethod.Post,
        HttpMethodKind.Put => HttpMethod.Put,
        HttpMethodKind.Patch => HttpMethod.Patch,
        HttpMethodKind.Delete => HttpMethod.Delete,
        _ => HttpMethod.Get,
    };

    static async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentLength > MaxResponseBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Parses the body as JSON (plain text if it is not JSON) and follows the dotted result path (<c>data.items.0.status</c>).</summary>
    internal static ActionOutcome Extract(string action, byte[] body, string? resultPath)
    {
        if (body.Length == 0) return ActionOutcome.Success(null);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            if (!string.IsNullOrEmpty(resultPath))
                return ActionOutcome.Failure($"action '{action}': the response is not JSON, so result path '{resultPath}' cannot be followed");
            return ActionOutcome.Success(JsonValue.Create(Encoding.UTF8.GetString(body)));
        }
        if (string.IsNullOrEmpty(resultPath)) return ActionOutcome.Success(node);
        foreach (var segment in resultPath.Split('.'))
        {
            node = node switch
            {
                JsonObject o => o.TryGetPropertyValue(segment, out var child) ? child : null,
                JsonArray a when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null) return ActionOutcome.Success(null);
        }
        return ActionOutcome.Success(node?.DeepClone());
    }
}
