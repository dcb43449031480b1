namespace CrawlGrep.Cli.Commands;

/// <summary>
/// An instruction set AWS Lambda runs (the function's <c>Architectures</c>): its name there, the ELF <c>e_machine</c>
/// of executables built for it, and the Debian multiarch folder its shared libraries are installed in.
/// </summary>
public sealed record LambdaArchitecture(string Name, ushort ElfMachine, string Multiarch)
{
    public static readonly LambdaArchitecture X86_64 = new("x86_64", 0x3E, "x86_64-linux-gnu");
    public static readonly LambdaArchitecture Arm64 = new("arm64", 0xB7, "aarch64-linux-gnu");

    public static IReadOnlyList<LambdaArchitecture> All { get; } = [X86_64, Arm64];

    /// <summary>The architecture named <paramref name="name"/> (Lambda's spelling; aarch64 and amd64 too), else null.</summary>
    public static LambdaArchitecture? Parse(string name) => name.ToLowerInvariant() switch
    {
        "x86_64" or "x64" or "amd64" => X86_64,
        "arm64" or "aarch64" => Arm64,
        _ => null,
    };

    /// <summary>The architecture of this process, when Lambda has it.</summary>
    public static LambdaArchitecture? Current => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => X86_64,
        System.Runtime.InteropServices.Architecture.Arm64 => Arm64,
        _ => null,
    };

    /// <summary>The architecture of a Linux ELF file, from its header; null when it is not a 64-bit little-endian ELF Lambda runs.</summary>
    public static LambdaArchitecture? OfElf(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return null;
        // e_ident: magic, EI_CLASS 2 (64-bit), EI_DATA 1 (little-endian); e_machine is the half-word at 18.
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F') return null;
        if (header[4] != 2 || header[5] != 1) return null;
        ushort machine = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        return All.FirstOrDefault(a => a.ElfMachine == machine);
    }

    public override string ToString() => Name;
}
