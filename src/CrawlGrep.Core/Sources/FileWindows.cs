using System.IO.MemoryMappedFiles;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// A local file seen through one memory-mapped window at a time, which the reader slides forward: the bytes are
/// read where the page cache holds them, with no copy into a buffer of ours (ripgrep's mmap path). Only the
/// current window is mapped, so what a worker holds stays bounded however large the file.
/// </summary>
/// <remarks>
/// As with any mapping, a file cut short while it is read would fault the process; archives are not rewritten in
/// place, and <c>--no-mmap</c> reads them through buffers instead.
/// </remarks>
public sealed unsafe class FileWindows : IDisposable
{
    /// <summary>How much a window maps beyond what the reader asked for: few remaps, a bounded mapping.</summary>
    public const int DefaultWindow = 32 << 20;

    private readonly MemoryMappedFile _file;
    private readonly int _window;
    private MemoryMappedViewAccessor? _view;
    private byte* _base; // the view's first byte, as the accessor's pointer says (before its alignment offset)
    private byte* _first; // the window's first byte
    private int _length;

    public FileWindows(string path, long length, int window = DefaultWindow)
    {
        Length = length;
        _window = window;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
    }

    /// <summary>The window size given at the start: what a window maps beyond what is asked for.</summary>
    public int Window => _window;

    /// <summary>The file's length when it was opened: windows never reach past it.</summary>
    public long Length { get; }

    /// <summary>File position of the window's first byte.</summary>
    public long Start { get; private set; }

    /// <summary>The bytes of the current window; valid until the next <see cref="MoveTo"/>.</summary>
    public ReadOnlySpan<byte> Current => new(_first, _length);

    /// <summary>
    /// Maps a window from <paramref name="from"/> that holds at least <paramref name="minLength"/> bytes, or up to the
    /// end of the file when fewer are left, and <paramref name="ahead"/> bytes more (by default the window size given
    /// at the start). Returns the window's length.
    /// </summary>
    public int MoveTo(long from, long minLength, int? ahead = null)
    {
        Release();
        Start = from;
        long want = Math.Min(Math.Max(minLength, 0) + (ahead ?? _window), Length - from);
        _length = (int)Math.Clamp(want, 0, int.MaxValue - 4096);
        if (_length == 0) return 0;
        _view = _file.CreateViewAccessor(from, _length, MemoryMappedFileAccess.Read);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _first = _base + _view.PointerOffset;
        return _length;
    }

    private void Release()
    {
        if (_view is null) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _view = null;
        _base = _first = null;
        _length = 0;
    }

    public void Dispose()
    {
        Release();
        _file.Dispose();
    }
}
