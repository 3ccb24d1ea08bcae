import { useEffect, useMemo, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EntityTextFilter,
  catalogReactTranslationRef,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import FormControl from '@material-ui/core/FormControl';
import IconButton from '@material-ui/core/IconButton';
import Input from '@material-ui/core/Input';
import InputAdornment from '@material-ui/core/InputAdornment';
import Clear from '@material-ui/icons/Clear';
import Search from '@material-ui/icons/Search';
import useDebounce from 'react-use/esm/useDebounce';
import { portalTranslationRef } from '../translations/portalTranslationRef';

/**
 * The text filter of an entity list (the catalog table, the template list):
 * what catalog-react's `EntitySearchBar` does, with every label in the
 * portal's language. Upstream's writes its field's and its clear button's
 * accessible names as English literals ("search", "clear search") that no
 * translation ref reaches.
 *
 * The text goes to the list's `text` filter 250 ms after the last key, and
 * follows the `text` query parameter when the page is opened with one.
 */
export function EntitySearchField() {
  const { t } = useTranslationRef(portalTranslationRef);
  const { t: catalogReact } = useTranslationRef(catalogReactTranslationRef);
  const {
    updateFilters,
    queryParameters: { text: textParameter },
  } = useEntityList();
  const fromQuery = useMemo(() => [textParameter].flat()[0], [textParameter]);
  const [search, setSearch] = useState(fromQuery ?? '');

  useDebounce(
    () =>
      updateFilters({
        text: search.length ? new EntityTextFilter(search) : undefined,
      }),
    250,
    [search, updateFilters],
  );
  useEffect(() => {
    if (fromQuery) setSearch(fromQuery);
  }, [fromQuery]);

  return (
    <FormControl>
      <Input
        inputProps={{ 'aria-label': t('entitySearch.label') }}
        placeholder={catalogReact('entitySearchBar.placeholder')}
        autoComplete="off"
        value={search}
        onChange={event => setSearch(event.target.value)}
        startAdornment={
          <InputAdornment position="start">
            <Search />
          </InputAdornment>
        }
        endAdornment={
          <InputAdornment position="end">
            <IconButton
              aria-label={t('entitySearch.clear')}
              edge="end"
              disabled={search.length === 0}
              onClick={() => setSearch('')}
            >
              <Clear />
            </IconButton>
          </InputAdornment>
        }
      />
    </FormControl>
  );
}
