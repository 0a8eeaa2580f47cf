using System.Globalization;

namespace ScenarioKit.Server.Hosting;

/// <summary>
/// The addresses <c>serve</c> is told to listen on (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>urls</c> in
/// appsettings.json), checked before Kestrel sees them. Kestrel reads a port that is not a number as part of the host
/// name, and a host name as "every interface": <c>http://127.0.0.1:397B</c> listened on port 80 of every interface.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>Throws unless every address in <paramref name="urls"/> (separated by <c>;</c>) is one Kestrel binds as written.</summary>
    /// <exception cref="ListenAddressException">An address has no http(s) scheme, no host, or a port that is not 0–65535.</exception>
    public static void Check(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Problem(url) is { } problem)
                throw new ListenAddressException(
                    $"The listen address '{url}' (--urls, ASPNETCORE_URLS or urls in appsettings.json) {problem}; write it like http://127.0.0.1:3978.");
        }
    }

    /// <summary>What is wrong with one address, or null. Kestrel's forms: scheme://host[:port][/path], the host an IP, [IPv6], localhost, *, + or a name; or a Unix socket (http://unix:/path).</summary>
    static string? Problem(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return "has no scheme";
        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            return $"has the scheme '{scheme}', not http or https";
        var rest = url[(schemeEnd + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
            return null;
        var slash = rest.IndexOf('/');
        var hostAndPort = slash < 0 ? rest : rest[..slash];
        string host;
        string? port = null;
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']');
            if (close < 0) return "has an IPv6 address without its closing ]";
            host = hostAndPort[..(close + 1)];
            var after = hostAndPort[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':') return $"has '{after}' after its IPv6 address";
                port = after[1..];
            }
        }
        else
        {
            var colon = hostAndPort.LastIndexOf(':');
            host = colon < 0 ? hostAndPort : hostAndPort[..colon];
            if (colon >= 0) port = hostAndPort[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
                return "has a ':' in its host (an IPv6 address goes in brackets: http://[::1]:3978)";
        }
        if (host.Length == 0) return "has no host";
        if (port is not null && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535))
            return $"has the port '{port}', not a number from 0 to 65535";
        return null;
    }
}

/// <summary>The server cannot listen where it was told to: an address that is not one, or one already in use.</summary>
public sealed class ListenAddressException(string message) : Exception(message);
