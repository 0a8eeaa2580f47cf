using System.Net.Http.Headers;
using ScenarioKit.BotFramework.Authentication;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.BotFramework.Connector;

/// <summary>
/// Bot → channel calls of the Bot Connector REST API (§2.2). Uses <em>reply</em> when the activity has a
/// <c>replyToId</c>, otherwise <em>send</em>, as botbuilder does. With no token provider (no app id) it
/// sends no Authorization header at all (§3, "Auth disabled").
/// </summary>
public sealed class ConnectorClient(HttpClient http, IAccessTokenProvider? tokens = null)
{
    public async Task<ResourceResponse> SendAsync(string serviceUrl, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceUrl);
        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId))
            throw new ArgumentException("activity.conversation.id is required to send through the Connector.", nameof(activity));

        var uri = BuildActivityUri(serviceUrl, conversationId, activity.ReplyToId);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(BotFrameworkJson.SerializeToUtf8Bytes(activity)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (tokens is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new ConnectorException((int)response.StatusCode, uri, System.Text.Encoding.UTF8.GetString(body));
        if (body.Length == 0) return new ResourceResponse();
        try
        {
            return BotFrameworkJson.Deserialize<ResourceResponse>(body) ?? new ResourceResponse();
        }
        catch (System.Text.Json.JsonException)
        {
            // Channels answer 200/201/202; a body that is not a ResourceResponse still means "delivered".
            return new ResourceResponse();
        }
    }

    /// <summary>Relative to the service URL with any trailing '/' stripped; ids are escaped because real channels use ':' and ';'.</summary>
    internal static Uri BuildActivityUri(string serviceUrl, string conversationId, string? replyToId)
    {
        var path = serviceUrl.TrimEnd('/') + "/v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities";
        if (!string.IsNullOrEmpty(replyToId)) path += "/" + Uri.EscapeDataString(replyToId);
        return new Uri(path, UriKind.Absolute);
    }
}

public sealed class ConnectorException(int statusCode, Uri uri, string body)
    : Exception($"The channel answered {statusCode} to POST {uri}: {Truncate(body)}")
{
    public int StatusCode { get; } = statusCode;
    public Uri Uri { get; } = uri;

    static string Truncate(string s) => s.Length <= 500 ? s : s[..500] + "…";
}
