import { useId } from 'react';

/** A file input that looks like a button (and is reached and used by keyboard like one). */
export function FileButton({
  label,
  title,
  accept,
  testId,
  disabled,
  onFiles,
}: {
  label: string;
  title: string;
  accept: string;
  testId: string;
  disabled: boolean;
  onFiles: (files: File[]) => void;
}) {
  const id = useId();
  return (
    <label className="file-button" htmlFor={id} title={title}>
      {label}
      <input
        id={id}
        type="file"
        multiple
        accept={accept}
        data-testid={testId}
        disabled={disabled}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          // Cleared, so that choosing the same file again is a change too.
          e.currentTarget.value = '';
          onFiles(files);
        }}
      />
    </label>
  );
}
