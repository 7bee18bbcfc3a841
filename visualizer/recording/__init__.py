"""Recording the show as a clip: an MP4 (H.264) or an animated GIF, encoded off the show's
thread so that recording never stalls a frame.

``target`` checks a clip's path and its encoder before anything is drawn; ``clock`` says
which frames of the clip each rendered picture fills; ``mp4`` and ``gif`` write them;
``recorder`` reads the pixels and hands them to the writer on a background thread;
``window`` is the window's F9 and its recording mark. The encoders are an optional extra:
``pip install 'neural-particles[video]'`` (imageio-ffmpeg for MP4, Pillow for GIF).
"""
