import { Text, useInput } from 'ink';
import { useTheme } from '../theme.js';

/** A yes/no question on the bottom line: y confirms, anything else cancels. */
export function ConfirmLine({ message, onAnswer }: { message: string; onAnswer: (yes: boolean) => void }) {
  const theme = useTheme();
  useInput((input) => onAnswer(input === 'y' || input === 'Y'));
  return (
    <Text wrap="truncate" color={theme.warn} bold>
      {`${message} (y/N)`}
    </Text>
  );
}
