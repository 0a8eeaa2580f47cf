using System.Text.Json.Serialization;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.BotFramework.Authentication;

/// <summary>
/// OAuth2 client-credentials flow against the Bot Framework token endpoint (§3). The token is cached
/// and renewed five minutes before it expires; concurrent callers share one refresh.
/// </summary>
public sealed class ClientCredentialsTokenProvider(
    HttpClient http,
    string appId,
    string appPassword,
    TimeProvider time,
    string tokenEndpoint = ClientCredentialsTokenProvider.DefaultTokenEndpoint,
    string scope = ClientCredentialsTokenProvider.DefaultScope) : IAccessTokenProvider, IDisposable
{
    public const string DefaultTokenEndpoint = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";
    public const string DefaultScope = "https://api.botframework.com/.default";
    static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    readonly SemaphoreSlim _refresh = new(1, 1);
    string? _token;
    DateTimeOffset _expires;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && time.GetUtcNow() < _expires - RenewBefore) return cached;
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } again && time.GetUtcNow() < _expires - RenewBefore) return again;
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = appId,
                ["client_secret"] = appPassword,
                ["scope"] = scope,
            });
            using var response = await http.PostAsync(new Uri(tokenEndpoint), content, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"The token endpoint {tokenEndpoint} answered {(int)response.StatusCode}.");
            var parsed = BotFrameworkJson.Deserialize<TokenEndpointResponse>(body);
            if (string.IsNullOrEmpty(parsed?.AccessToken))
                throw new InvalidOperationException($"The token endpoint {tokenEndpoint} returned no access_token.");
            _token = parsed.AccessToken;
            _expires = time.GetUtcNow().AddSeconds(parsed.ExpiresIn is > 0 ? parsed.ExpiresIn.Value : 3600);
            return _token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    internal sealed record TokenEndpointResponse
    {
        [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
        [JsonPropertyName("expires_in")] public int? ExpiresIn { get; init; }
    }
}
