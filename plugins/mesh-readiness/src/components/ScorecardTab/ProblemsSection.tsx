import type { AnnotationProblem } from '@mesh-readiness/plugin-mesh-readiness-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Section } from '../common/Section';

/** Malformed annotations: key, value as written, why, and a suggestion. */
export const ProblemsSection = (props: { problems: AnnotationProblem[] }) => {
  if (props.problems.length === 0) {
    return null;
  }
  return (
    <Section title="Annotation problems">
      <Typography variant="body2" paragraph>
        These values in catalog-info.yaml could not be read. The checks that
        depend on them show as Invalid until they are corrected.
      </Typography>
      <Table size="small" aria-label="Annotation problems">
        <TableHead>
          <TableRow>
            <TableCell>Annotation</TableCell>
            <TableCell>Value</TableCell>
            <TableCell>Problem</TableCell>
            <TableCell>Did you mean</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.problems.map((p, i) => (
            <TableRow key={`${p.key}-${i}`}>
              <TableCell>
                <code>{p.key}</code>
              </TableCell>
              <TableCell>
                <code>{p.value}</code>
              </TableCell>
              <TableCell>{p.message}</TableCell>
              <TableCell>
                {p.suggestion ? <code>{p.suggestion}</code> : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
};
