using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ScenarioKit.BotFramework.Authentication;

/// <summary>Settings for validating channel → bot JWTs (§3).</summary>
public sealed record BotAuthenticationOptions
{
    public const string BotFrameworkMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The bot's app id: the required <c>aud</c>.</summary>
    public required string AppId { get; init; }

    /// <summary>OpenID metadata whose <c>jwks_uri</c> gives the signing keys; configurable so tests run a local issuer.</summary>
    public string MetadataUrl { get; init; } = BotFrameworkMetadataUrl;

    public IReadOnlyList<string> ValidIssuers { get; init; } = [BotFrameworkIssuer];

    /// <summary>When set, the signing key's <c>endorsements</c> must contain the activity's channel id.</summary>
    public bool RequireEndorsements { get; init; }

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Only for a local test issuer served over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; init; } = true;
}

/// <summary>
/// The outcome of validating a request. <see cref="Error"/> is a short, stable reason safe to return to an
/// anonymous caller; <see cref="Detail"/> (when a library failed) is for the server's log only: it names
/// hosts and library frames.
/// </summary>
public sealed record AuthenticationResult(bool Succeeded, string? Error, ClaimsIdentity? Identity, Exception? Detail = null)
{
    public static AuthenticationResult Fail(string error, Exception? detail = null) => new(false, error, null, detail);
}

/// <summary>
/// Validates the <c>Authorization: Bearer</c> JWT a channel sends with an activity (§3): signature from the
/// OpenID metadata (cached by <see cref="ConfigurationManager{T}"/>), issuer, audience, lifetime with
/// skew, and the <c>serviceurl</c> claim against the activity's <c>serviceUrl</c>.
/// </summary>
public sealed class BotFrameworkAuthenticator
{
    readonly BotAuthenticationOptions _options;
    readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    readonly TimeProvider _time;

    public BotFrameworkAuthenticator(BotAuthenticationOptions options, HttpClient http, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.AppId);
        _options = options;
        _time = time;
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            options.MetadataUrl,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = options.RequireHttpsMetadata });
    }

    public async Task<AuthenticationResult> AuthenticateAsync(string? authorizationHeader, string? serviceUrl, string? channelId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
            return AuthenticationResult.Fail("Authorization header is missing; a Bot Framework bearer token is required.");
        const string prefix = "Bearer ";
        if (!authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return AuthenticationResult.Fail("Authorization header must use the Bearer scheme.");
        var token = authorizationHeader[prefix.Length..].Trim();
        if (!_handler.CanReadToken(token))
            return AuthenticationResult.Fail("The bearer token is not a JWT.");

        OpenIdConnectConfiguration config;
        try
        {
            config = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return AuthenticationResult.Fail("The channel's signing keys are unavailable; the token cannot be checked now.", e);
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuers = _options.ValidIssuers,
            ValidAudience = _options.AppId,
            IssuerSigningKeys = config.SigningKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            LifetimeValidator = ValidateLifetime,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
                _metadata.RequestRefresh(); // keys may have rolled over; the next call fetches them again
            return AuthenticationResult.Fail("The bearer token is not valid: " + Describe(result.Exception), result.Exception);
        }

        // §3: never trust serviceUrl unless the token vouches for it.
        var claimed = result.ClaimsIdentity.FindFirst("serviceurl")?.Value;
        if (serviceUrl is not null && !string.Equals(claimed?.TrimEnd('/'), serviceUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            return AuthenticationResult.Fail("The token's serviceurl claim does not match activity.serviceUrl.");

        if (_options.RequireEndorsements)
        {
            var kid = (result.SecurityToken as JsonWebToken)?.Kid;
            var key = config.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == kid);
            if (key is null || channelId is null || !HasEndorsement(key, channelId))
                return AuthenticationResult.Fail($"The signing key is not endorsed for channel '{channelId}'.");
        }
        return new AuthenticationResult(true, null, result.ClaimsIdentity);
    }

    // Uses the injected clock so tests can move time; same rule as the default validator.
    bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters p)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null) return false;
        if (notBefore is { } nbf && nbf > now + p.ClockSkew) return false;
        return expires.Value >= now - p.ClockSkew;
    }

    static bool HasEndorsement(JsonWebKey key, string channelId) =>
        key.AdditionalData.TryGetValue("endorsements", out var value) && value switch
        {
            IEnumerable<object> list => list.Any(v => string.Equals(v?.ToString(), channelId, StringComparison.Ordinal)),
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } array =>
                array.EnumerateArray().Any(v => v.ValueKind == System.Text.Json.JsonValueKind.String && v.GetString() == channelId),
            _ => false,
        };

    static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "it has expired or is not yet valid.",
        SecurityTokenInvalidAudienceException => "wrong audience.",
        SecurityTokenInvalidIssuerException => "wrong issuer.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the signature does not verify.",
        _ => "it could not be validated.",
    };
}
