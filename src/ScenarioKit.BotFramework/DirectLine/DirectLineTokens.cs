using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ScenarioKit.BotFramework.DirectLine;

/// <summary>What a Direct Line token grants: one conversation, optionally pinned to one user id (§4.1).</summary>
public sealed record DirectLineGrant(string ConversationId, string? UserId, string? Scenario, DateTimeOffset Expires);

public enum TokenValidation { Valid, Invalid, Expired }

/// <summary>
/// Issues and checks Direct Line tokens. A token is <c>base64url(payload) "." base64url(HMAC-SHA256(key, payload))</c>;
/// the payload binds conversation id, user id, scenario and expiry, so a token opens only its own
/// conversation and cannot be altered. The key is derived from the configured secret (or a random one in
/// dev mode), never the secret itself, so a leaked token reveals nothing about the secret.
/// </summary>
public sealed class DirectLineTokens
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(30);
    const byte FormatVersion = 1;

    readonly byte[] _key;
    readonly TimeProvider _time;

    public DirectLineTokens(ReadOnlySpan<byte> signingMaterial, TimeProvider time, TimeSpan? lifetime = null)
    {
        if (signingMaterial.Length < 16) throw new ArgumentException("The signing material must be at least 16 bytes.", nameof(signingMaterial));
        _key = HMACSHA256.HashData(signingMaterial, "ScenarioKit Direct Line token key v1"u8);
        _time = time;
        Lifetime = lifetime ?? DefaultLifetime;
    }

    public TimeSpan Lifetime { get; }

    public string Issue(string conversationId, string? userId, string? scenario)
    {
        var expires = _time.GetUtcNow() + Lifetime;
        var payload = Encode(conversationId, userId, scenario, expires.ToUnixTimeSeconds());
        var signature = HMACSHA256.HashData(_key, payload);
        return Base64Url(payload) + "." + Base64Url(signature);
    }

    public TokenValidation Validate(string? token, out DirectLineGrant? grant)
    {
        grant = null;
        if (string.IsNullOrEmpty(token) || token.Length > 4096) return TokenValidation.Invalid;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return TokenValidation.Invalid;
        byte[] payload, signature;
        try
        {
            payload = FromBase64Url(token.AsSpan(0, dot));
            signature = FromBase64Url(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return TokenValidation.Invalid;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payload))) return TokenValidation.Invalid;
        if (!TryDecode(payload, out var decoded)) return TokenValidation.Invalid;
        grant = decoded;
        return _time.GetUtcNow() >= decoded!.Expires ? TokenValidation.Expired : TokenValidation.Valid;
    }

    static byte[] Encode(string conversationId, string? userId, string? scenario, long expires)
    {
        using var ms = new MemoryStream();
        ms.WriteByte(FormatVersion);
        Span<byte> exp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(exp, expires);
        ms.Write(exp);
        WriteString(ms, conversationId);
        WriteString(ms, userId);
        WriteString(ms, scenario);
        return ms.ToArray();
    }

    static void WriteString(MemoryStream ms, string? s)
    {
        var bytes = s is null ? [] : Encoding.UTF8.GetBytes(s);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(len, s is null ? ushort.MaxValue : checked((ushort)bytes.Length));
        ms.Write(len);
        ms.Write(bytes);
    }

    static bool TryDecode(ReadOnlySpan<byte> payload, out DirectLineGrant? grant)
    {
        grant = null;
        if (payload.Length < 9 || payload[0] != FormatVersion) return false;
        var expires = BinaryPrimitives.ReadInt64BigEndian(payload[1..]);
        var rest = payload[9..];
        if (!TryReadString(ref rest, out var conversation) || conversation is null) return false;
        if (!TryReadString(ref rest, out var user) || !TryReadString(ref rest, out var scenario) || !rest.IsEmpty) return false;
        grant = new DirectLineGrant(conversation, user, scenario, DateTimeOffset.FromUnixTimeSeconds(expires));
        return true;
    }

    static bool TryReadString(ref ReadOnlySpan<byte> span, out string? value)
    {
        value = null;
        if (span.Length < 2) return false;
        var len = BinaryPrimitives.ReadUInt16BigEndian(span);
        span = span[2..];
        if (len == ushort.MaxValue) return true;
        if (span.Length < len) return false;
        value = Encoding.UTF8.GetString(span[..len]);
        span = span[len..];
        return true;
    }

    static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(ReadOnlySpan<char> text)
    {
        var s = text.ToString().Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return Convert.FromBase64String(s);
    }
}
