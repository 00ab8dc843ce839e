; Inno Setup 6 recipe: dist\smart-agent\ (the PyInstaller bundle built on Windows from
; build\smart-agent.spec) -> dist\smart-agent-VERSION-windows-x64-setup.exe
;
;   python build\platform_icons.py            (the spec does this too: build\work\icons\*.ico)
;   pyinstaller --noconfirm --distpath dist --workpath build\work build\smart-agent.spec
;   iscc /DAppVersion=0.1.0 build\windows\smart-agent.iss
;
; NOT built or tested here: the project is built and smoke-tested on Linux only. CI builds
; this on a Windows runner (.github/workflows/package.yml).
;
; Per-user install by default (no administrator rights; the dialog offers all users).
; The Start-menu entries start smart-agent-gui.exe, the windowed twin of smart-agent.exe
; (the console program, for the command line), so no console window opens. The uninstaller
; removes the program and the "start at login" entry; the person's settings, history and
; downloaded models (under %APPDATA% / %LOCALAPPDATA%) are left in place.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Root "..\.."

[Setup]
AppId={{A0237664-C260-49D8-81CE-A292311A8429}
AppName=Smart Agent
AppVersion={#AppVersion}
AppVerName=Smart Agent {#AppVersion}
AppPublisher=Smart Agent developers
DefaultDirName={autopf}\Smart Agent
DefaultGroupName=Smart Agent
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=smart-agent-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\build\work\icons\smart-agent.ico
UninstallDisplayIcon={app}\smart-agent-gui.exe
UninstallDisplayName=Smart Agent
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\smart-agent\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Smart Agent"; Filename: "{app}\smart-agent-gui.exe"; WorkingDir: "{app}"
Name: "{group}\Smart Agent quick prompt"; Filename: "{app}\smart-agent-gui.exe"; Parameters: "--quick-prompt"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,Smart Agent}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Smart Agent"; Filename: "{app}\smart-agent-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; Written by the app when "start at login" is on (ui/desktop_entry.py); only removed here.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; ValueName: "Smart Agent"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\smart-agent-gui.exe"; Description: "{cm:LaunchProgram,Smart Agent}"; Flags: nowait postinstall skipifsilent
